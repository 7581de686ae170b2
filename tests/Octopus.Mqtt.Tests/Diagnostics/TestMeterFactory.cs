using System.Diagnostics.Metrics;

namespace Octopus.Mqtt.Tests.Diagnostics;

/// <summary>An <see cref="IMeterFactory"/> whose meters belong to it alone, so tests running at once do not see each other's measurements.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        lock (_meters)
        {
            var existing = _meters.Find(m => m.Name == options.Name);
            if (existing is not null)
            {
                return existing;
            }

            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            _meters.Add(meter);
            return meter;
        }
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
