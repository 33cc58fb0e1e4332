/// What a page answers instead of its content: shown as an HTML page with its status.
enum UIError: Error, Equatable {
    case badRequest(String)
    case notFound(String)
}
