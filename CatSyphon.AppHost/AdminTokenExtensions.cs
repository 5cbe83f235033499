namespace CatSyphon.AppHost;

internal static class AdminTokenExtensions
{
    /// <summary>Environment variable that supplies the admin token; ops set it, and it wins over a generated one.</summary>
    public const string EnvironmentVariable = "CATSYPHON_ADMIN_TOKEN";

    /// <summary>
    /// The admin token as a secret parameter: taken from <c>CATSYPHON_ADMIN_TOKEN</c> when set, otherwise
    /// generated once for local development and kept in the app host's user secrets
    /// (<c>Parameters:admin-token</c>).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddAdminToken(this IDistributedApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[EnvironmentVariable]))
        {
            return builder.AddParameterFromConfiguration(ResourceNames.AdminToken, EnvironmentVariable, secret: true);
        }

        return builder.AddParameter(
            ResourceNames.AdminToken,
            new GenerateParameterDefault { MinLength = 40, Special = false },
            secret: true,
            persist: true);
    }
}
