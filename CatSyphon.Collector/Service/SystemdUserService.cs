using System.Text;

namespace CatSyphon.Collector.Service;

/// <summary>Linux: a systemd user unit (<c>~/.config/systemd/user/catsyphon-watch.service</c>), started with the user's session.</summary>
public sealed record SystemdUserService(string DefinitionPath, string Definition)
    : WatchService(UnitName, DefinitionPath, Definition)
{
    public const string UnitName = "catsyphon-watch.service";

    public override string Manager => "systemd (user)";

    public override IReadOnlyList<ManagerCall> Install =>
        [new("systemctl", ["--user", "daemon-reload"]), new("systemctl", ["--user", "enable", "--now", UnitName])];

    public override IReadOnlyList<ManagerCall> Uninstall => [new("systemctl", ["--user", "disable", "--now", UnitName])];

    public override ManagerCall Status => new("systemctl", ["--user", "status", "--no-pager", UnitName]);

    /// <param name="unitPath">Where the unit goes: <c>systemd/user</c> in <c>$XDG_CONFIG_HOME</c>, else in <c>~/.config</c>.</param>
    public static SystemdUserService Create(WatchInvocation watch, string unitPath)
    {
        var unit = new StringBuilder()
            .AppendLine("# Written by 'catsyphon service install'; 'catsyphon service uninstall' removes it.")
            .AppendLine("[Unit]")
            .AppendLine("Description=CatSyphon collector: syncs AI coding assistant session logs")
            .AppendLine("After=network-online.target")
            .AppendLine()
            .AppendLine("[Service]")
            .AppendLine("Type=simple")
            .AppendLine($"Environment={Quote($"{Configuration.CollectorHome.Variable}={watch.CollectorHome}")}")
            .AppendLine($"ExecStart={string.Join(' ', watch.Arguments.Select(Quote))}")
            // A server that refuses the key makes watch stop with an error: systemd tries again, slowly.
            .AppendLine("Restart=on-failure")
            .AppendLine("RestartSec=30")
            .AppendLine()
            .AppendLine("[Install]")
            .AppendLine("WantedBy=default.target")
            .ToString();
        return new SystemdUserService(unitPath, unit);
    }

    /// <summary>One word of a unit's command line or assignment: quoted, with systemd's specifiers and escapes kept literal.</summary>
    internal static string Quote(string word) =>
        "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal) + "\"";
}
