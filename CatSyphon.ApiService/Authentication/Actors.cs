using System.Security.Claims;

namespace CatSyphon.ApiService.Authentication;

/// <summary>How the audit log and the access log name who made a request.</summary>
public static class Actors
{
    /// <summary><c>user:&lt;id&gt;</c>, <c>admin</c>, <c>collector:&lt;id&gt;</c>, <c>anonymous</c>; <c>system</c> outside a request.</summary>
    public static string Of(ClaimsPrincipal? user) =>
        user is null ? "system"
        : Caller.From(user) is { } caller ? caller.Actor
        : CollectorIdentity.From(user) is { } collector ? collector.Actor
        : "anonymous";
}
