using System.CommandLine;
using System.Diagnostics;
using System.ComponentModel;
using CatSyphon.Collector.Commands;
using CatSyphon.Collector.Configuration;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Service;

/// <summary>
/// <c>catsyphon service install [DIR...] | uninstall | status</c>: runs <c>catsyphon watch</c> at login under the
/// machine's own service manager, so the collector keeps syncing without a terminal left open.
/// </summary>
internal static class ServiceCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CollectorHome home, AgentHost host, TextWriter output, TextWriter errors)
    {
        var directories = new Argument<string[]>("dir") { Description = "Folders for watch to follow besides the agents' own (projects with aider histories)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Option<string[]>("--command")
        {
            Description = "The collector command the service starts (default: this collector)", AllowMultipleArgumentsPerToken = true,
        };
        var print = new Option<bool>("--print") { Description = "Show the service definition and the calls it needs, and change nothing" };
        var install = new Command("install", "Run 'catsyphon watch' at login (systemd user unit, launchd agent or scheduled task) and start it now") { directories, command, print };
        install.SetAction((parse, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            await new CredentialStore(home).LoadRequiredAsync(cancellationToken);
            var watch = new WatchInvocation(
                parse.GetValue(command) is { Length: > 0 } given ? given : WatchServices.ThisCollector(),
                Path.GetFullPath(home.Directory),
                [.. (parse.GetValue(directories) ?? []).Select(Path.GetFullPath)]);
            var service = WatchServices.For(host, watch);
            if (parse.GetValue(print))
            {
                await output.WriteLineAsync($"# {service.DefinitionPath}\n{service.Definition}");
                await output.WriteLineAsync(string.Join('\n', service.Install));
                return 0;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(service.DefinitionPath)!);
            await File.WriteAllTextAsync(service.DefinitionPath, service.Definition, service.DefinitionEncoding, cancellationToken);
            await output.WriteLineAsync($"wrote {service.DefinitionPath}");
            foreach (var call in service.Install)
            {
                if (await RunAsync(call, output, cancellationToken) is { } failure)
                {
                    throw new CollectorException(
                        $"{service.Manager} did not take the service: '{call}' {failure}. The definition is written; once {service.Manager} runs for you, " +
                        $"load it with: {string.Join(" && ", service.Install)}", exitCode: 3);
                }
            }

            await output.WriteLineAsync($"installed: {service.Name} runs 'catsyphon watch' at login and is started ('catsyphon service status' shows it)");
            return 0;
        }));

        var uninstall = new Command("uninstall", "Stop the login service and remove it");
        uninstall.SetAction((_, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var service = WatchServices.For(host, new WatchInvocation(["catsyphon"], Path.GetFullPath(home.Directory), []));
            if (!File.Exists(service.DefinitionPath))
            {
                await output.WriteLineAsync($"not installed: {service.DefinitionPath} does not exist");
                return 0;
            }

            foreach (var call in service.Uninstall)
            {
                // A service that is not loaded or not running is not an error here: the goal is that it is gone.
                if (await RunAsync(call, output, cancellationToken) is { } failure)
                {
                    await errors.WriteLineAsync($"warning: '{call}' {failure}");
                }
            }

            File.Delete(service.DefinitionPath);
            await output.WriteLineAsync($"removed {service.DefinitionPath}");
            return 0;
        }));

        var status = new Command("status", "Say whether the login service is installed and what its manager says about it");
        status.SetAction((_, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var service = WatchServices.For(host, new WatchInvocation(["catsyphon"], Path.GetFullPath(home.Directory), []));
            if (!File.Exists(service.DefinitionPath))
            {
                await output.WriteLineAsync($"not installed ({service.DefinitionPath} does not exist): 'catsyphon service install' installs it");
                return 1;
            }

            await output.WriteLineAsync($"installed: {service.DefinitionPath}");
            return await RunAsync(service.Status, output, cancellationToken) is { } failure
                ? throw new CollectorException($"{service.Manager}: '{service.Status}' {failure}", exitCode: 3)
                : 0;
        }));

        return new Command("service", "Run 'catsyphon watch' at login as a service of this machine") { install, uninstall, status };
    }

    /// <summary>Makes one call to the service manager, echoing what it printed; null when it succeeded, else why not.</summary>
    private static async Task<string?> RunAsync(ManagerCall call, TextWriter output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(call.Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in call.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            var (said, complained) = (process.StandardOutput.ReadToEndAsync(timeout.Token), process.StandardError.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            await output.WriteAsync(await said);
            var error = (await complained).Trim();
            return process.ExitCode == 0 ? null : $"failed (exit {process.ExitCode}){(error.Length > 0 ? $": {error}" : "")}";
        }
        catch (Win32Exception)
        {
            return $"could not start: {call.Program} is not on this machine's PATH";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"did not answer within {CallTimeout.TotalSeconds:0} s";
        }
    }
}
