using System.Runtime.InteropServices;
using CatSyphon.Collector.Configuration;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Service;

/// <summary>The login service of a host: systemd on Linux, launchd on macOS, Task Scheduler on Windows.</summary>
internal static class WatchServices
{
    /// <summary>The service that runs <paramref name="watch"/> on <paramref name="host"/>, its files where that platform keeps them.</summary>
    public static WatchService For(AgentHost host, WatchInvocation watch) => host.Platform switch
    {
        AgentPlatform.MacOS => LaunchdAgentService.Create(watch,
            host.InHome("Library", "LaunchAgents", $"{LaunchdAgentService.Label}.plist"), host.InHome("Library", "Logs", "catsyphon-watch.log"), GetUserId()),
        AgentPlatform.Windows => ScheduledTaskService.Create(watch,
            host.Join(host.Variable("LOCALAPPDATA") ?? host.InHome("AppData", "Local"), "CatSyphon", "catsyphon-watch.xml"),
            $@"{host.Variable("USERDOMAIN") ?? Environment.UserDomainName}\{host.Variable("USERNAME") ?? Environment.UserName}",
            defaultHome: string.Equals(watch.CollectorHome, DefaultCollectorHome(host), StringComparison.OrdinalIgnoreCase)),
        _ => SystemdUserService.Create(watch, host.Join(host.Variable("XDG_CONFIG_HOME") ?? host.InHome(".config"), "systemd", "user", SystemdUserService.UnitName)),
    };

    /// <summary>
    /// How this collector is started: its own executable (the tool's shim, or a native build); a framework-dependent one
    /// started as <c>dotnet catsyphon.dll</c> is started the same way.
    /// </summary>
    public static IReadOnlyList<string> ThisCollector()
    {
        var process = Environment.ProcessPath ?? throw new CollectorException("The collector cannot tell its own path; give it with --command.");
        var isHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isHost ? [process, Path.Combine(AppContext.BaseDirectory, "catsyphon.dll")] : [process];
    }

    private static string DefaultCollectorHome(AgentHost host) => host.Variable(CollectorHome.Variable) ?? host.InHome(".catsyphon");

    // Only ever called for macOS (or a test describing it on a Unix machine): libc is there.
    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUserId();
}
