namespace CatSyphon.IntegrationTests;

/// <summary>
/// Crashing one process of the stack: SIGKILL to it and its children, so it gets no chance to finish a request, release
/// a lease or flush anything.
/// </summary>
public static class ResourceProcesses
{
    /// <summary>The process a resource's snapshot says it runs as (DCP's <c>executable.pid</c>).</summary>
    public static int ProcessId(CustomResourceSnapshot snapshot) =>
        Convert.ToInt32(snapshot.Properties.Single(property => property.Name == "executable.pid").Value);

    /// <summary>Kills the process a single-instance resource runs as.</summary>
    public static void Kill(CatSyphonApp app, string resource)
    {
        Assert.True(app.Application.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} has no state");
        Kill(ProcessId(state.Snapshot));
    }

    /// <summary>Kills <paramref name="processId"/> and its children, and returns once it has exited.</summary>
    public static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}
