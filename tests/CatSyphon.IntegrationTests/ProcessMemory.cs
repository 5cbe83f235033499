namespace CatSyphon.IntegrationTests;

/// <summary>A Linux process's resident memory from <c>/proc</c>: now, its peak since the last reset, and sampled over a stretch.</summary>
public sealed class ProcessMemory
{
    private readonly int processId;

    private ProcessMemory(int processId) => this.processId = processId;

    public static ProcessMemory Of(int processId) => new(processId);

    /// <summary>Resident set size in bytes (VmRSS).</summary>
    public long Resident() => Read("VmRSS");

    /// <summary>The highest resident set size since the process started or <see cref="ResetPeak"/> (VmHWM).</summary>
    public long Peak() => Read("VmHWM");

    /// <summary>Resets the peak to the resident size now (<c>clear_refs</c> 5) and returns that size.</summary>
    public long ResetPeak()
    {
        File.WriteAllText($"/proc/{processId}/clear_refs", "5");
        return Resident();
    }

    /// <summary>Samples the resident size every few milliseconds until stopped: the peak even where <c>clear_refs</c> is refused.</summary>
    public PeakSampling SamplePeak() => new(this);

    /// <summary>
    /// <paramref name="root"/> or the first process under it that runs <paramref name="assembly"/> (its app host or its
    /// dll), rather than a <c>dotnet run</c> of its project that started it.
    /// </summary>
    public static int FindRunning(int root, string assembly)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(path => int.TryParse(Path.GetFileName(path), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .ToList();
        var candidates = new List<int> { root };
        for (var i = 0; i < candidates.Count; i++)
        {
            if (Arguments(candidates[i]).Any(argument => Path.GetFileName(argument) is var name && (name == assembly || name == assembly + ".dll")))
            {
                return candidates[i];
            }

            candidates.AddRange(parents.Where(process => process.Parent == candidates[i]).Select(process => process.Pid));
        }

        throw new InvalidOperationException($"No process under {root} runs {assembly}.");
    }

    private long Read(string field)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(line => line.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }

    private static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The parent in <c>/proc/PID/stat</c>: the second field after the command name, which may hold spaces.</summary>
    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A sampling loop over <see cref="Resident"/>; <see cref="StopAsync"/> ends it and returns the highest sample.</summary>
    public sealed class PeakSampling : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<long> loop;

        internal PeakSampling(ProcessMemory process) => loop = Task.Run(async () =>
        {
            var highest = process.Resident();
            while (!stop.IsCancellationRequested)
            {
                highest = Math.Max(highest, process.Resident());
                await Task.Delay(10, CancellationToken.None);
            }

            return highest;
        });

        public async Task<long> StopAsync()
        {
            await stop.CancelAsync();
            return await loop;
        }

        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}
