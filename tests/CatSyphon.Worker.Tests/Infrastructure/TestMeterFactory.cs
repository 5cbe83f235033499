using System.Diagnostics.Metrics;

namespace CatSyphon.Worker.Tests.Infrastructure;

/// <summary>Meters for a service the test builds by hand, outside a host.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
