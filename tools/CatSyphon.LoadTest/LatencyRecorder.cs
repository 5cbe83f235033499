namespace CatSyphon.LoadTest;

internal sealed class LatencyRecorder(int expected)
{
    private readonly List<double> milliseconds = new(expected);
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return milliseconds.Count;
            }
        }
    }

    public void Record(TimeSpan elapsed)
    {
        lock (gate)
        {
            milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    public double Percentile(double percentile)
    {
        lock (gate)
        {
            if (milliseconds.Count == 0)
            {
                return 0;
            }

            milliseconds.Sort();
            var rank = (int)Math.Ceiling(percentile / 100 * milliseconds.Count) - 1;
            return milliseconds[Math.Clamp(rank, 0, milliseconds.Count - 1)];
        }
    }
}
