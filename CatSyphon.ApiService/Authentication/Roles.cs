namespace CatSyphon.ApiService.Authentication;

internal static class Roles
{
    public const string Admin = "admin";
    public const string Collector = "collector";
}

internal static class Policies
{
    /// <summary>The admin token.</summary>
    public const string Admin = "admin";

    /// <summary>An active collector's key (a disabled collector is forbidden).</summary>
    public const string Collector = "collector";

    /// <summary>A collector's key or the admin token.</summary>
    public const string CollectorOrAdmin = "collector-or-admin";
}
