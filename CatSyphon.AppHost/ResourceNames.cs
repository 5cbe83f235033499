namespace CatSyphon.AppHost;

/// <summary>Names of the app's resources: the dashboard, service discovery, connection strings and tests all use these.</summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "catsyphon";
    public const string Redis = "redis";
    public const string Migrations = "migrations";
    public const string Api = "api";
    public const string Worker = "worker";
    public const string Web = "web";
    public const string AdminToken = "admin-token";
    public const string PublicUrl = "public-url";
}

/// <summary>The probe paths every service serves (see CatSyphon.ServiceDefaults).</summary>
public static class ProbePaths
{
    public const string Liveness = "/health";
    public const string Readiness = "/ready";
}
