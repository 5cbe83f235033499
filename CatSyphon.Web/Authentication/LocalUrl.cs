namespace CatSyphon.Web.Authentication;

/// <summary>Where to go after signing in: only an address on this site, so a sign-in link cannot send anyone elsewhere.</summary>
public static class LocalUrl
{
    public static string OrHome(string? url) =>
        url is { Length: > 0 } && Uri.TryCreate(url, UriKind.Relative, out _) && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? "/" + url.TrimStart('/')
            : "/";
}
