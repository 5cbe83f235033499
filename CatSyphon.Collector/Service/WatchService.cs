namespace CatSyphon.Collector.Service;

/// <summary>What the login service runs: <c>catsyphon watch</c> with its folders, for one user and one collector home.</summary>
/// <param name="Command">The collector's executable, then any arguments before <c>watch</c> (<c>dotnet catsyphon.dll</c>).</param>
public sealed record WatchInvocation(IReadOnlyList<string> Command, string CollectorHome, IReadOnlyList<string> Folders)
{
    /// <summary>Every argument of the process, executable first.</summary>
    public IReadOnlyList<string> Arguments => [.. Command, "watch", .. Folders];
}

/// <summary>A program the service manager is driven with (<c>systemctl</c>, <c>launchctl</c>, <c>schtasks</c>) and its arguments.</summary>
public sealed record ManagerCall(string Program, IReadOnlyList<string> Arguments)
{
    public override string ToString() => string.Join(' ', [Program, .. Arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)]);
}

/// <summary>
/// How one platform runs <c>catsyphon watch</c> at login: the definition file it reads and where it lives, and the
/// calls that load, unload and describe it. Pure: <see cref="ServiceCommand"/> writes the file and makes the calls.
/// </summary>
public abstract record WatchService(string Name, string DefinitionPath, string Definition)
{
    /// <summary>After the definition is written: register it and start it now.</summary>
    public abstract IReadOnlyList<ManagerCall> Install { get; }

    /// <summary>Before the definition is deleted: stop it and unregister it.</summary>
    public abstract IReadOnlyList<ManagerCall> Uninstall { get; }

    /// <summary>What the manager says about it.</summary>
    public abstract ManagerCall Status { get; }

    /// <summary>The manager that keeps the service, for messages (<c>systemd</c>, <c>launchd</c>, <c>Task Scheduler</c>).</summary>
    public abstract string Manager { get; }

    /// <summary>How the definition file is written (Task Scheduler reads UTF-16).</summary>
    public virtual System.Text.Encoding DefinitionEncoding => new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
