using System.Xml.Linq;

namespace CatSyphon.Collector.Service;

/// <summary>macOS: a launchd agent (<c>~/Library/LaunchAgents/dev.catsyphon.watch.plist</c>), loaded at login.</summary>
public sealed record LaunchdAgentService(string DefinitionPath, string Definition, string Domain)
    : WatchService(Label, DefinitionPath, Definition)
{
    public const string Label = "dev.catsyphon.watch";

    public override string Manager => "launchd";

    public override IReadOnlyList<ManagerCall> Install => [new("launchctl", ["bootstrap", Domain, DefinitionPath])];

    public override IReadOnlyList<ManagerCall> Uninstall => [new("launchctl", ["bootout", $"{Domain}/{Label}"])];

    public override ManagerCall Status => new("launchctl", ["print", $"{Domain}/{Label}"]);

    /// <param name="plistPath">Where the agent goes: <c>~/Library/LaunchAgents/dev.catsyphon.watch.plist</c>.</param>
    /// <param name="log">Where its output goes (<c>~/Library/Logs/catsyphon-watch.log</c>).</param>
    /// <param name="userId">The user's numeric id: the agent runs in their GUI domain (<c>gui/501</c>).</param>
    public static LaunchdAgentService Create(WatchInvocation watch, string plistPath, string log, uint userId)
    {
        var plist = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
            new XElement("plist", new XAttribute("version", "1.0"), new XElement("dict",
                Entry("Label", new XElement("string", Label)),
                Entry("ProgramArguments", new XElement("array", watch.Arguments.Select(argument => new XElement("string", argument)))),
                Entry("EnvironmentVariables", new XElement("dict", Entry(Configuration.CollectorHome.Variable, new XElement("string", watch.CollectorHome)))),
                Entry("RunAtLoad", new XElement("true")),
                // Started again when it stops with an error (a server that refuses the key), not when it is stopped.
                Entry("KeepAlive", new XElement("dict", Entry("SuccessfulExit", new XElement("false")))),
                Entry("ThrottleInterval", new XElement("integer", 30)),
                Entry("StandardOutPath", new XElement("string", log)),
                Entry("StandardErrorPath", new XElement("string", log)))));
        return new LaunchdAgentService(plistPath, $"{plist.Declaration}\n{plist}\n", $"gui/{userId}");
    }

    private static IEnumerable<XElement> Entry(string key, XElement value) => [new XElement("key", key), value];
}
