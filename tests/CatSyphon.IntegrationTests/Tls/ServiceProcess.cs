using System.Text;

namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// One CatSyphon service run from its build output as a deployment runs it (<c>dotnet CatSyphon.X.dll</c>), outside
/// the app host, configured only by environment variables.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServiceProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="projectPath">The project file, as <c>Projects.CatSyphon_ApiService.ProjectPath</c> gives it.</param>
    public static ServiceProcess Start(string projectPath, IReadOnlyDictionary<string, string> environment)
    {
        // The same configuration as these tests were built in (bin/Debug/net10.0).
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var output = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", testOutput.Parent!.Name, testOutput.Name);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(output, Path.GetFileNameWithoutExtension(projectPath) + ".dll") },
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        return new ServiceProcess(Process.Start(startInfo)!);
    }

    /// <summary>Waits until <paramref name="request"/> answers anything but a connection failure, or the process exits.</summary>
    public async Task<HttpResponseMessage> WaitUntilAnsweringAsync(HttpClient client, Func<HttpRequestMessage> request)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"the service exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
            try
            {
                return await client.SendAsync(request());
            }
            catch (HttpRequestException) when (elapsed.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Waits for the process to exit by itself (a start refused); false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync() => await ServerProcess.StopAsync(process);
}
