namespace CatSyphon.AppHost.Infrastructure;

/// <summary>The machine's own redis-server, run by the app host as a local process.</summary>
public sealed class LocalRedisResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory: dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource Password { get; } = password;

    /// <summary>redis-server options as <c>--name value</c> pairs (durability, memory bound).</summary>
    public required IReadOnlyList<string> Settings { get; init; }

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public string ConfigurationFile => Path.Combine(DataDirectory, "redis.conf");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}");
}
