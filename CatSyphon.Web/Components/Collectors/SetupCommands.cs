using CatSyphon.Protocol;
using CatSyphon.Web.Api;

namespace CatSyphon.Web.Components.Collectors;

/// <summary>The exact commands a developer runs to install the collector and send their sessions to a workspace.</summary>
public static class SetupCommands
{
    /// <summary>
    /// The collector, installed as a .NET tool from the server's own feed; a server that offers no collector package
    /// (run from source without packing it) gets the commands that pack it from the CatSyphon repository instead.
    /// </summary>
    public static string Install(string serverUrl, bool offered) => offered ? CollectorFeed.InstallCommand(serverUrl) : FromSource;

    private const string FromSource = """
        bash scripts/pack-collector.sh   # in a clone of the CatSyphon repository
        dotnet tool install --global CatSyphon.Collector --add-source artifacts/collector-packages
        """;

    public const string Watch = "catsyphon watch";

    public static string Register(string serverUrl, Guid workspaceId, string token) =>
        $"catsyphon register --server {serverUrl.TrimEnd('/')} --workspace {workspaceId} --token {token}";

    /// <summary>For collectors configured by hand (other tools, CI): the environment the catsyphon tool also reads.</summary>
    public static string Environment(string serverUrl, IssuedCollectorKey key) => $"""
        export CATSYPHON_SERVER_URL={serverUrl.TrimEnd('/')}
        export CATSYPHON_COLLECTOR_ID={key.CollectorId}
        export CATSYPHON_API_KEY={key.ApiKey}
        """;
}
