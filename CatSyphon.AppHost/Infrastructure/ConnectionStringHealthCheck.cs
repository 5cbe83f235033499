using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// Runs a library health check against a resource's connection string, resolved when the check runs:
/// local endpoints only get their ports once the orchestrator has allocated them.
/// </summary>
internal sealed class ConnectionStringHealthCheck(IResourceWithConnectionString resource, Func<string, IHealthCheck> createCheck) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
        if (string.IsNullOrEmpty(connectionString))
        {
            return HealthCheckResult.Unhealthy($"{resource.Name} has no connection string yet.");
        }

        return await createCheck(connectionString).CheckHealthAsync(context, cancellationToken);
    }
}

internal static class ConnectionStringHealthCheckExtensions
{
    public static IResourceBuilder<T> WithConnectionStringHealthCheck<T>(this IResourceBuilder<T> builder, Func<string, IHealthCheck> createCheck)
        where T : IResourceWithConnectionString
    {
        var key = $"{builder.Resource.Name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key,
            _ => new ConnectionStringHealthCheck(builder.Resource, createCheck),
            failureStatus: null,
            tags: null));
        return builder.WithHealthCheck(key);
    }
}
