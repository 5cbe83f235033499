namespace CatSyphon.ApiService.Authentication;

internal static class Roles
{
    /// <summary>The admin token.</summary>
    public const string Admin = "admin";

    /// <summary>A person, by a personal access token or a sign-in's access token.</summary>
    public const string Person = "person";

    public const string Collector = "collector";
}

internal static class Policies
{
    /// <summary>A person or the admin token: what each endpoint lets them do is its <see cref="EndpointAccess"/>.</summary>
    public const string Person = "person";

    /// <summary>An active collector's key (a disabled collector is forbidden).</summary>
    public const string Collector = "collector";

    /// <summary>A collector's key or the admin token.</summary>
    public const string CollectorOrAdmin = "collector-or-admin";
}
