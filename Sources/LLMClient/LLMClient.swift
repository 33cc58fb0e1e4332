// The OpenAI-compatible chat-completions client arrives with issue 5.
import HTTPClient
