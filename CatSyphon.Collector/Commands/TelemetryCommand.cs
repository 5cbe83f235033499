using System.CommandLine;
using CatSyphon.Collector.Configuration;
using CatSyphon.Protocol;

namespace CatSyphon.Collector.Commands;

/// <summary>
/// <c>catsyphon telemetry</c>: prints the settings that send Claude Code's and Codex's OpenTelemetry to the registered
/// server with this collector's key (the key is the developer's own; nothing is changed).
/// </summary>
internal static class TelemetryCommand
{
    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var command = new Command("telemetry", "Print the Claude Code environment and Codex config.toml settings that send their OpenTelemetry to the server");
        command.SetAction((_, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            var credentials = await new CredentialStore(home).LoadRequiredAsync(cancellationToken);
            await output.WriteLineAsync("# Claude Code: in your shell profile (or the env block of ~/.claude/settings.json)");
            await output.WriteLineAsync(AgentTelemetrySettings.ClaudeCodeEnvironment(credentials.ServerUrl, credentials.ApiKey));
            await output.WriteLineAsync();
            await output.WriteLineAsync("# Codex: in ~/.codex/config.toml");
            await output.WriteLineAsync(AgentTelemetrySettings.CodexConfig(credentials.ServerUrl, credentials.ApiKey));
            return 0;
        }));
        return command;
    }
}
