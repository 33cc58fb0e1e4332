-- Transcript entries of assistant turns keep the tool calls they asked for (JSON array of
-- {"id","name","arguments"}), so a stored transcript replays as an OpenAI message list.
ALTER TABLE transcript_entries ADD COLUMN tool_calls TEXT;
