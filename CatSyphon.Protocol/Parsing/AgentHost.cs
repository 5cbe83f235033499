namespace CatSyphon.Protocol.Parsing;

/// <summary>The operating systems whose default log folders the agent formats know.</summary>
public enum AgentPlatform
{
    Linux,
    MacOS,
    Windows,
}

/// <summary>
/// The machine an agent's logs are looked for on: its OS, the user's home folder and its environment. An input
/// rather than a global so each OS's default folders can be computed (and tested) anywhere.
/// </summary>
public sealed record AgentHost(AgentPlatform Platform, string Home, Func<string, string?> Environment)
{
    /// <summary>This machine, its user and its environment.</summary>
    public static AgentHost Current() => new(
        OperatingSystem.IsWindows() ? AgentPlatform.Windows : OperatingSystem.IsMacOS() ? AgentPlatform.MacOS : AgentPlatform.Linux,
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile),
        System.Environment.GetEnvironmentVariable);

    /// <summary>This machine with the home folder written <c>~</c> and no environment: default folders as help text shows them.</summary>
    public static AgentHost Described() => Current() with { Home = "~", Environment = _ => null };

    private char Separator => Platform == AgentPlatform.Windows ? '\\' : '/';

    /// <summary>The value of an environment variable, or null when it is unset or empty.</summary>
    public string? Variable(string name) => Environment(name) is { Length: > 0 } value ? value : null;

    /// <summary>A folder below the home folder.</summary>
    public string InHome(params string[] parts) => Join(Home, parts);

    /// <summary>
    /// A folder below <paramref name="root"/> in this OS's notation (as <see cref="Path.Combine(string[])"/> would write
    /// it there): no separator is doubled.
    /// </summary>
    public string Join(string root, params string[] parts)
    {
        var path = root;
        foreach (var part in parts)
        {
            path = path.Length == 0 || path[^1] == Separator || path[^1] == '/' ? path + part : path + Separator + part;
        }

        return path;
    }
}
