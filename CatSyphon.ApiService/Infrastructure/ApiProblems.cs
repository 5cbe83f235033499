using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>A 422 when the optional whole number <paramref name="field"/> is outside 1..<paramref name="max"/>; else null, with the value (or its default) in <paramref name="value"/>.</summary>
    public static ProblemHttpResult? OutOfRange(string field, int? given, int fallback, int max, out int value)
    {
        value = given ?? fallback;
        return value is < 1 || value > max ? Validation(field, $"{field} must be between 1 and {max}.") : null;
    }

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static bool IsUniqueViolation(Exception exception) =>
        exception.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
