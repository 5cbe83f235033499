using System.Xml.Linq;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// <c>catsyphon service</c>: the systemd user unit it writes is one systemd accepts, a machine without a user manager is
/// told so plainly, and the launchd agent and scheduled task it would write run <c>catsyphon watch</c> as they should.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class CollectorServiceTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-service-")
{
    private Task<(int Exit, string Output, string Errors)> RunOnAsync(AgentHost host, params string[] args) =>
        CollectorCli.RunAsync(Home.FullName, args, host);

    [Fact]
    public async Task Install_writes_a_user_unit_systemd_accepts_and_uninstall_removes_it()
    {
        await RegisterInNewWorkspaceAsync();
        var config = Path.Combine(Home.FullName, "config");
        var host = new AgentHost(AgentPlatform.Linux, Home.FullName, name => name == "XDG_CONFIG_HOME" ? config : null);
        var collector = Path.Combine(Home.FullName, "tools", "cat syphon");
        Directory.CreateDirectory(Path.GetDirectoryName(collector)!);
        await File.WriteAllTextAsync(collector, "#!/bin/sh\n");
        File.SetUnixFileMode(collector, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var projects = Directory.CreateDirectory(Path.Combine(Home.FullName, "src 100%"));

        var (exit, output, errors) = await RunOnAsync(host, "service", "install", projects.FullName, "--command", collector);

        var unit = Path.Combine(config, "systemd", "user", "catsyphon-watch.service");
        Assert.Contains($"wrote {unit}", output);
        var text = await File.ReadAllTextAsync(unit);
        Assert.Contains($"ExecStart=\"{collector}\" \"watch\" \"{projects.FullName.Replace("%", "%%")}\"", text);
        Assert.Contains($"Environment=\"CATSYPHON_HOME={Home.FullName}\"", text);
        var verify = await ToolRun.RunAsync("systemd-analyze", ["verify", unit]);
        Assert.True(verify.ExitCode == 0, $"systemd-analyze verify: {verify.Output}{verify.Errors}");
        // systemctl reads the unit from the user's own folders (not this test's), or there is no user manager at all
        // (a container): either way it does not take the unit, and the collector says what to do.
        Assert.Equal(3, exit);
        Assert.Contains("systemd (user) did not take the service: 'systemctl --user daemon-reload", errors);
        Assert.Contains("load it with: systemctl --user daemon-reload && systemctl --user enable --now catsyphon-watch.service", errors);

        var (statusExit, statusOutput, _) = await RunOnAsync(host, "service", "status");
        Assert.Equal(3, statusExit);
        Assert.Contains($"installed: {unit}", statusOutput);

        var (removed, removedOutput, _) = await RunOnAsync(host, "service", "uninstall");
        Assert.Equal(0, removed);
        Assert.Contains($"removed {unit}", removedOutput);
        Assert.False(File.Exists(unit));
        var (after, afterOutput, _) = await RunOnAsync(host, "service", "status");
        Assert.Equal(1, after);
        Assert.Contains("not installed", afterOutput);
    }

    [Fact]
    public async Task A_macos_login_agent_runs_watch_with_its_folders_and_home()
    {
        await RegisterInNewWorkspaceAsync();
        var host = new AgentHost(AgentPlatform.MacOS, "/Users/dev", _ => null);

        var (exit, output, _) = await RunOnAsync(host, "service", "install", "/Users/dev/src", "--command", "/Users/dev/.dotnet/tools/catsyphon", "--print");

        Assert.Equal(0, exit);
        Assert.StartsWith("# /Users/dev/Library/LaunchAgents/dev.catsyphon.watch.plist\n", output);
        var plist = XDocument.Parse(Between(output, "<?xml", "</plist>"));
        var entries = Entries(plist.Root!.Element("dict")!);
        Assert.Equal("dev.catsyphon.watch", entries["Label"].Value);
        Assert.Equal(["/Users/dev/.dotnet/tools/catsyphon", "watch", "/Users/dev/src"], entries["ProgramArguments"].Elements("string").Select(e => e.Value));
        Assert.Equal(Home.FullName, Entries(entries["EnvironmentVariables"])["CATSYPHON_HOME"].Value);
        Assert.Equal("true", entries["RunAtLoad"].Name.LocalName);
        Assert.Equal("false", Entries(entries["KeepAlive"])["SuccessfulExit"].Name.LocalName);
        Assert.Equal("/Users/dev/Library/Logs/catsyphon-watch.log", entries["StandardErrorPath"].Value);
        Assert.Matches(@"launchctl bootstrap gui/\d+ /Users/dev/Library/LaunchAgents/dev.catsyphon.watch.plist", output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_windows_scheduled_task_starts_watch_at_logon(bool defaultHome)
    {
        await RegisterInNewWorkspaceAsync();
        var host = new AgentHost(AgentPlatform.Windows, @"C:\Users\dev", name => name switch
        {
            "USERDOMAIN" => "CORP",
            "USERNAME" => "dev",
            "CATSYPHON_HOME" when defaultHome => Home.FullName,
            _ => null,
        });

        var (exit, output, _) = await RunOnAsync(host, "service", "install", "--command", @"C:\Program Files\CatSyphon\catsyphon.exe", "--print");

        Assert.Equal(0, exit);
        Assert.StartsWith(@"# C:\Users\dev\AppData\Local\CatSyphon\catsyphon-watch.xml", output);
        XNamespace task = "http://schemas.microsoft.com/windows/2004/02/mit/task";
        var xml = XDocument.Parse(Between(output, "<Task", "</Task>"));
        Assert.Equal(@"CORP\dev", xml.Descendants(task + "LogonTrigger").Single().Element(task + "UserId")!.Value);
        Assert.Equal("InteractiveToken", xml.Descendants(task + "LogonType").Single().Value);
        var exec = xml.Descendants(task + "Exec").Single();
        if (defaultHome)
        {
            Assert.Equal(@"C:\Program Files\CatSyphon\catsyphon.exe", exec.Element(task + "Command")!.Value);
            Assert.Equal("watch", exec.Element(task + "Arguments")!.Value);
        }
        else
        {
            // A task cannot set environment variables: another collector home goes through cmd.
            Assert.Equal("cmd.exe", exec.Element(task + "Command")!.Value);
            Assert.Equal($"/d /c \"set \"CATSYPHON_HOME={Home.FullName}\" && \"C:\\Program Files\\CatSyphon\\catsyphon.exe\" watch\"", exec.Element(task + "Arguments")!.Value);
        }

        Assert.Contains(@"schtasks /Create /TN CatSyphon\Watch /XML C:\Users\dev\AppData\Local\CatSyphon\catsyphon-watch.xml /F", output);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        return text[from..(text.IndexOf(end, from, StringComparison.Ordinal) + end.Length)];
    }

    /// <summary>A plist dictionary: each key with the element after it.</summary>
    private static Dictionary<string, XElement> Entries(XElement dict) =>
        dict.Elements("key").ToDictionary(key => key.Value, key => (XElement)key.NextNode!);
}
