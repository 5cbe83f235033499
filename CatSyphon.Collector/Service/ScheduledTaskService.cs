using System.Text;
using System.Xml.Linq;

namespace CatSyphon.Collector.Service;

/// <summary>Windows: a Task Scheduler task (<c>CatSyphon\Watch</c>) that starts at the user's logon, from a task XML.</summary>
public sealed record ScheduledTaskService(string DefinitionPath, string Definition)
    : WatchService(TaskName, DefinitionPath, Definition)
{
    public const string TaskName = @"CatSyphon\Watch";
    private static readonly XNamespace Task = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    public override string Manager => "Task Scheduler";

    public override Encoding DefinitionEncoding => Encoding.Unicode;

    public override IReadOnlyList<ManagerCall> Install =>
        [new("schtasks", ["/Create", "/TN", TaskName, "/XML", DefinitionPath, "/F"]), new("schtasks", ["/Run", "/TN", TaskName])];

    public override IReadOnlyList<ManagerCall> Uninstall =>
        [new("schtasks", ["/End", "/TN", TaskName]), new("schtasks", ["/Delete", "/TN", TaskName, "/F"])];

    public override ManagerCall Status => new("schtasks", ["/Query", "/TN", TaskName, "/V", "/FO", "LIST"]);

    /// <param name="user">The account (<c>DOMAIN\name</c>) whose logon starts it and who it runs as.</param>
    /// <param name="defaultHome">Whether the collector home is the default one: a task cannot set environment variables, so
    /// another home is passed through <c>cmd /c set</c>.</param>
    /// <param name="xmlPath">Where the task's XML is kept (<c>%LOCALAPPDATA%\CatSyphon\catsyphon-watch.xml</c>).</param>
    public static ScheduledTaskService Create(WatchInvocation watch, string xmlPath, string user, bool defaultHome)
    {
        var (command, arguments) = defaultHome
            ? (watch.Arguments[0], CommandLine(watch.Arguments.Skip(1)))
            : ("cmd.exe", $"/d /c \"set \"{Configuration.CollectorHome.Variable}={watch.CollectorHome}\" && {CommandLine(watch.Arguments)}\"");
        var task = new XElement(Task + "Task", new XAttribute("version", "1.2"),
            new XElement(Task + "RegistrationInfo", new XElement(Task + "Description", "CatSyphon collector: syncs AI coding assistant session logs")),
            new XElement(Task + "Triggers", new XElement(Task + "LogonTrigger", new XElement(Task + "Enabled", "true"), new XElement(Task + "UserId", user))),
            new XElement(Task + "Principals", new XElement(Task + "Principal", new XAttribute("id", "Author"),
                new XElement(Task + "UserId", user), new XElement(Task + "LogonType", "InteractiveToken"), new XElement(Task + "RunLevel", "LeastPrivilege"))),
            new XElement(Task + "Settings",
                new XElement(Task + "MultipleInstancesPolicy", "IgnoreNew"),
                new XElement(Task + "DisallowStartIfOnBatteries", "false"),
                new XElement(Task + "StopIfGoingOnBatteries", "false"),
                new XElement(Task + "ExecutionTimeLimit", "PT0S"),
                // Started again when it stops with an error (a server that refuses the key), every minute, for a day.
                new XElement(Task + "RestartOnFailure", new XElement(Task + "Interval", "PT1M"), new XElement(Task + "Count", "1440")),
                new XElement(Task + "Hidden", "true")),
            new XElement(Task + "Actions", new XAttribute("Context", "Author"),
                new XElement(Task + "Exec", new XElement(Task + "Command", command), new XElement(Task + "Arguments", arguments))));
        return new ScheduledTaskService(xmlPath, $"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n{task}\r\n");
    }

    /// <summary>Arguments joined as Windows parses a command line: quoted when they hold spaces or quotes.</summary>
    internal static string CommandLine(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    private static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny([' ', '\t', '"']) < 0)
        {
            return argument;
        }

        // Backslashes double only before a quote (and at the end, before the closing one).
        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}
