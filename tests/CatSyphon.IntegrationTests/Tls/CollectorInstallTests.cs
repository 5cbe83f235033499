namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// The one install line the get-started page shows works on a machine with only the .NET SDK: the collector packed by
/// <c>scripts/pack-collector.sh</c>, offered by the server's feed behind https, installed by <c>dotnet tool install</c>
/// from a clean home (NuGet takes https sources only), and the installed collector registers and reports.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class CollectorInstallTests(ProxiedStack stack) : IDisposable
{
    private readonly DirectoryInfo machine = Directory.CreateTempSubdirectory("catsyphon-clean-machine-");

    public void Dispose() => machine.Delete(recursive: true);

    [Fact]
    public async Task A_clean_machine_installs_the_collector_from_the_servers_feed_with_one_line_and_it_runs()
    {
        // Packed on this (the server's) machine, with its own NuGet folders.
        var packed = await RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "pack-collector.sh"), stack.FeedFolder.FullName], cleanMachine: false);
        Assert.True(packed.Exit == 0, packed.Output);
        Assert.Equal(
            ["CatSyphon.Collector.0.1.0.nupkg", "CatSyphon.Collector.any.0.1.0.nupkg", "CatSyphon.Collector.linux-x64.0.1.0.nupkg"],
            stack.FeedFolder.GetFiles("*.nupkg").Select(f => f.Name).Order(StringComparer.Ordinal));

        // The organization's CA beside the system's roots, as a machine of that organization trusts it.
        var roots = Path.Combine(machine.FullName, "roots.pem");
        await File.WriteAllTextAsync(roots, await File.ReadAllTextAsync("/etc/ssl/certs/ca-certificates.crt") + await File.ReadAllTextAsync(stack.Certificates.CaCertificateFile));
        var install = CatSyphon.Protocol.CollectorFeed.InstallCommand(stack.PublicUrl).Split(' ');
        var installed = await RunAsync(install[0], install[1..], roots);

        Assert.True(installed.Exit == 0, installed.Output);
        Assert.Contains("'catsyphon.collector' (version '0.1.0') was successfully installed", installed.Output, StringComparison.OrdinalIgnoreCase);
        // The feed handed out the package for this machine: the native linux-x64 build.
        Assert.True(Directory.Exists(Path.Combine(machine.FullName, ".dotnet", "tools", ".store", "catsyphon.collector", "0.1.0", "catsyphon.collector.linux-x64")),
            "the linux-x64 package was installed");

        var catsyphon = Path.Combine(machine.FullName, ".dotnet", "tools", "catsyphon");
        // The native build carries SQLite's native library: it reads a real Cursor database (31 chats).
        var scanned = await RunAsync(catsyphon, ["scan", Path.Combine(AppContext.BaseDirectory, "Fixtures", "cursor", "state.vscdb"), "--json"]);
        Assert.True(scanned.Exit == 0, scanned.Output);
        Assert.Equal(31, JsonDocument.Parse(scanned.Output).RootElement.GetProperty("sessions").GetInt32());
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var registered = await RunAsync(catsyphon, ["register", "--server", stack.PublicUrl, "--workspace", workspace.ToString(), "--token", stack.App.AdminToken], roots);
        Assert.True(registered.Exit == 0, registered.Output);
        var status = await RunAsync(catsyphon, ["status"], roots);
        Assert.True(status.Exit == 0, status.Output);
        Assert.Contains("version:    0.1.0", status.Output);
        Assert.DoesNotContain("update:", status.Output);
    }

    /// <summary>Runs a program, by default as on the clean machine: its own home, .NET and NuGet folders, and trusted roots.</summary>
    private async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, string? roots = null, bool cleanMachine = true)
    {
        var environment = new Dictionary<string, string?>();
        if (cleanMachine)
        {
            environment["HOME"] = machine.FullName;
            environment["DOTNET_CLI_HOME"] = machine.FullName;
            environment["NUGET_PACKAGES"] = Path.Combine(machine.FullName, ".nuget", "packages");
            environment["DOTNET_NOLOGO"] = "1";
            environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        }

        if (roots is not null)
        {
            environment["SSL_CERT_FILE"] = roots;
        }

        var run = await ToolRun.RunAsync(program, arguments, environment, machine.FullName);
        return (run.ExitCode, run.Output + run.Errors);
    }
}
