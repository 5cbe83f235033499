using Npgsql;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>The API's RFC 9457 answers for client mistakes; never a 5xx for those.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string detail = "The request is not valid; see errors.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Validation failed",
            Detail = detail,
        });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult WorkspaceNotFound(Guid id) => NotFound($"Workspace {id} does not exist.");

    public static ProblemHttpResult CollectorNotFound(Guid id) => NotFound($"Collector {id} does not exist.");

    /// <summary>A 404 for a <paramref name="kind"/> (conversation, project, plan) the workspace does not hold, whether it exists elsewhere or not.</summary>
    public static ProblemHttpResult NotInWorkspace(string kind, Guid id) => NotFound($"No {kind} {id} in this workspace.");

    public static ProblemHttpResult TooLarge(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: title, detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static bool IsUniqueViolation(Exception exception) =>
        exception.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
