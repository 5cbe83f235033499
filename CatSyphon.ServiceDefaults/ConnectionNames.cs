namespace Microsoft.Extensions.Hosting;

/// <summary>Connection names the app host gives its resources (the database's is <c>CatSyphonDbContext.ConnectionName</c>).</summary>
public static class ConnectionNames
{
    public const string Redis = "redis";
}
