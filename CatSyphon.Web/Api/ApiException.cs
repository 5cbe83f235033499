namespace CatSyphon.Web.Api;

/// <summary>Why an API call gave no answer the page can use; <see cref="Exception.Message"/> is meant for people.</summary>
public enum ApiFailure
{
    /// <summary>The API did not answer (down, restarting, or too slow).</summary>
    Unreachable,

    /// <summary>The session's access token is no longer accepted (signed out, expired, or the account disabled).</summary>
    Unauthorized,

    /// <summary>The person's role does not allow the request.</summary>
    Forbidden,

    NotFound,

    /// <summary>The API refused the request as invalid (4xx with problem details).</summary>
    Rejected,

    /// <summary>The API failed (5xx).</summary>
    ServerError,
}

public sealed class ApiException(ApiFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ApiFailure Failure { get; } = failure;
}
