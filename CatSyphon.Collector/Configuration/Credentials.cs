using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.Collector.Configuration;

/// <summary>How this collector reaches its server; stored in <c>~/.catsyphon/credentials.json</c> (mode 0600).</summary>
public sealed record Credentials(
    [property: JsonPropertyName("server_url")] string ServerUrl,
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("collector_id")] Guid? CollectorId,
    [property: JsonPropertyName("workspace_id")] Guid? WorkspaceId,
    [property: JsonPropertyName("ca_cert")] string? CaCertFile = null)
{
    public const string ServerUrlVariable = "CATSYPHON_SERVER_URL";
    public const string ApiKeyVariable = "CATSYPHON_API_KEY";
    public const string CollectorIdVariable = "CATSYPHON_COLLECTOR_ID";

    /// <summary>The key as it may be shown: its prefix only.</summary>
    public string MaskedKey => ApiKey.Length > 12 ? ApiKey[..12] + "…" : "…";
}

/// <summary>Reads and writes the credentials file; the environment overrides what is stored.</summary>
public sealed class CredentialStore(CollectorHome home)
{
    public string FilePath => Path.Combine(home.Directory, "credentials.json");

    public async Task SaveAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        home.Ensure();
        await AtomicFile.WriteAsync(FilePath, JsonSerializer.SerializeToUtf8Bytes(credentials, CollectorJsonContext.Default.Credentials), cancellationToken);
    }

    /// <summary>The credentials in force, or a clear error telling how to get some.</summary>
    public async Task<Credentials> LoadRequiredAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken)
        ?? throw new CollectorException($"No credentials: run 'catsyphon register' or set {Credentials.ServerUrlVariable} and {Credentials.ApiKeyVariable}.");

    /// <summary>The stored credentials with <c>CATSYPHON_*</c> environment variables applied; null when there are none.</summary>
    public async Task<Credentials?> LoadAsync(CancellationToken cancellationToken)
    {
        Credentials? stored = null;
        if (File.Exists(FilePath))
        {
            await using var file = File.OpenRead(FilePath);
            stored = await JsonSerializer.DeserializeAsync(file, CollectorJsonContext.Default.Credentials, cancellationToken);
        }

        var server = Environment.GetEnvironmentVariable(Credentials.ServerUrlVariable) ?? stored?.ServerUrl;
        var key = Environment.GetEnvironmentVariable(Credentials.ApiKeyVariable) ?? stored?.ApiKey;
        if (string.IsNullOrEmpty(server) || string.IsNullOrEmpty(key))
        {
            return null;
        }

        var collectorId = Guid.TryParse(Environment.GetEnvironmentVariable(Credentials.CollectorIdVariable), out var fromEnvironment)
            ? fromEnvironment
            : stored?.CollectorId;
        var caCertFile = Environment.GetEnvironmentVariable(ServerTrust.CaCertVariable) is { Length: > 0 } caFromEnvironment
            ? caFromEnvironment
            : stored?.CaCertFile;
        return new Credentials(server, key, collectorId, stored?.WorkspaceId, caCertFile);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Credentials))]
internal sealed partial class CollectorJsonContext : JsonSerializerContext;
