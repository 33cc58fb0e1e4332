// The agent loop arrives with issue 5.
import LLMClient
import MCPClient
