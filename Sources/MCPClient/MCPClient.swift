// The MCP client arrives with issue 4.
import HTTPClient
