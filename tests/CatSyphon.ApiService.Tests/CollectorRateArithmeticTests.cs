using CatSyphon.ApiService.Ingestion;

namespace CatSyphon.ApiService.Tests;

/// <summary>The numbers the shared rate limit's Redis script is given and what a refusal tells the collector.</summary>
public sealed class CollectorRateArithmeticTests
{
    [Theory]
    [InlineData(5, 200_000, 2_000_000)]
    [InlineData(2_000, 500, 2_000_000)]
    [InlineData(1_000_000, 1, 2_000_000)]
    public void A_request_uses_one_interval_and_the_bucket_holds_two_seconds_of_requests(int perSecond, long interval, long capacity)
    {
        Assert.Equal((interval, capacity), SharedCollectorRateLimiter.Arguments(perSecond));
        // A full bucket takes exactly twice the rate before it refuses.
        Assert.Equal(2L * perSecond, capacity / interval);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(200_000, 1)]
    [InlineData(1_000_000, 1)]
    [InlineData(1_000_001, 2)]
    [InlineData(2_500_000, 3)]
    public void A_refusal_waits_whole_seconds_rounded_up_and_at_least_one(long waitMicroseconds, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SharedCollectorRateLimiter.RetryAfter(waitMicroseconds));
    }

    [Fact]
    public void Each_collector_has_its_own_key_on_one_cluster_slot()
    {
        var collector = Guid.NewGuid().ToString();

        Assert.Equal($"cs:collector-rate:{{{collector}}}", SharedCollectorRateLimiter.KeyOf(collector).ToString());
        Assert.NotEqual(SharedCollectorRateLimiter.KeyOf(collector), SharedCollectorRateLimiter.KeyOf(Guid.NewGuid().ToString()));
    }
}
