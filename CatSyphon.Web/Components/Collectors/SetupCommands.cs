using CatSyphon.Web.Api;

namespace CatSyphon.Web.Components.Collectors;

/// <summary>The exact commands a developer runs to install the collector and send their sessions to a workspace.</summary>
public static class SetupCommands
{
    /// <summary>The collector is packed from the CatSyphon repository (see its README) and installed as a .NET tool.</summary>
    public const string Install = """
        for rid in "" "-r linux-x64" "-r any"; do dotnet pack CatSyphon.Collector -c Release $rid -o artifacts; done
        dotnet tool install --global CatSyphon.Collector --add-source artifacts
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
