using System.CommandLine;
using System.Diagnostics;
using CatSyphon.Collector.Configuration;
using CatSyphon.Collector.Sync;

namespace CatSyphon.Collector.Commands;

/// <summary><c>catsyphon push PATH...</c>: a one-shot backfill of log files and folders, with progress.</summary>
internal static class PushCommand
{
    public static Command Create(CollectorHome home, TextWriter output, TextWriter errors)
    {
        var paths = new Argument<string[]>("path") { Description = "Log files or folders to send", Arity = ArgumentArity.OneOrMore };
        var parallel = CollectorOptions.AtLeastOne("--parallel", "Files sent at once", 8);
        var command = new Command("push", "Send session logs to the server once (a backfill); safe to interrupt and run again") { paths, parallel };

        command.SetAction((parse, cancellationToken) => CollectorCommands.RunAsync(errors, async () =>
        {
            using var run = await SyncRun.StartAsync(home, cancellationToken);
            var files = LogFiles.Find(parse.GetValue(paths)!);
            var (progress, state) = (run.Progress, run.State);
            var totalBytes = files.Sum(file => new FileInfo(file).Length);
            var clock = Stopwatch.StartNew();

            using var reporting = new CancellationTokenSource();
            var reporter = ReportAsync(errors, run, files.Count, totalBytes, clock, reporting.Token);
            try
            {
                await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(parallel), CancellationToken = cancellationToken },
                    async (file, token) => await run.Syncer.SyncFileAsync(file, token));
            }
            finally
            {
                await reporting.CancelAsync();
                await reporter;
                await run.SaveAsync();
            }

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            await output.WriteLineAsync(
                $"pushed {progress.Files}/{files.Count} files, {progress.Bytes / 1_048_576.0:F1} MB in {seconds:F1} s ({progress.Bytes / 1_048_576.0 / seconds:F1} MB/s): " +
                $"{progress.Accepted} events accepted, {progress.Duplicates} already on the server");
            var failed = state.Files.Where(pair => pair.Value.Error is not null && files.Contains(pair.Key)).ToList();
            foreach (var (file, fileState) in failed)
            {
                await errors.WriteLineAsync($"error: {file}: {fileState.Error}");
            }

            return failed.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>A progress line every second (and the state saved, so an interrupted push resumes close to where it was).</summary>
    private static async Task ReportAsync(TextWriter errors, SyncRun run, int files, long totalBytes, Stopwatch clock, CancellationToken cancellationToken)
    {
        var progress = run.Progress;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var megabytes = progress.Bytes / 1_048_576.0;
                await errors.WriteLineAsync(
                    $"{progress.Files}/{files} files, {megabytes:F1}/{totalBytes / 1_048_576.0:F1} MB, {progress.Accepted} events, {megabytes / clock.Elapsed.TotalSeconds:F1} MB/s");
                await run.SaveAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The push finished.
        }
    }
}
