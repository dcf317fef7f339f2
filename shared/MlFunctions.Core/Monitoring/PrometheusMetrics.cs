using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace MlFunctions.Core.Monitoring;

/// <summary>
/// The local host's metrics in Prometheus' text exposition format (version 0.0.4), for GET /metrics:
/// requests by function and outcome, a latency histogram by function, and the capture queue's counts.
/// Written by hand: the format is a few lines of text and prometheus-net brings an HTTP server and
/// reflection we do not need.
/// </summary>
public sealed class PrometheusMetrics(TrafficCapture? capture = null) : IFunctionMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Upper bounds of the latency buckets, in seconds.</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Function, string Outcome), long[]> _requests = new();
    private readonly ConcurrentDictionary<string, Histogram> _latency = new(StringComparer.Ordinal);

    public void Record(string function, int status, double milliseconds, string? modelVersion)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((function, Outcomes.Of(status)), _ => new long[1])[0]);
        _latency.GetOrAdd(function, _ => new Histogram()).Add(milliseconds / 1000);
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP mlf_requests_total Requests answered, by function and outcome.\n# TYPE mlf_requests_total counter\n");
        foreach (var ((function, outcome), count) in _requests.OrderBy(p => p.Key.Function, StringComparer.Ordinal).ThenBy(p => p.Key.Outcome, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"mlf_requests_total{{function=\"{function}\",outcome=\"{outcome}\"}} {Interlocked.Read(ref count[0])}\n");
        }
        text.Append("# HELP mlf_request_duration_seconds Time to answer, by function.\n# TYPE mlf_request_duration_seconds histogram\n");
        foreach (var (function, histogram) in _latency.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            histogram.Render(text, function);
        }
        if (capture is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP mlf_capture_written_total Captured records written.\n# TYPE mlf_capture_written_total counter\nmlf_capture_written_total {capture.Written}\n");
            text.Append(CultureInfo.InvariantCulture, $"# HELP mlf_capture_dropped_total Captured records dropped because the queue was full.\n# TYPE mlf_capture_dropped_total counter\nmlf_capture_dropped_total {capture.Dropped}\n");
        }
        return text.ToString();
    }

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Buckets.Length];
        private long _count;
        private long _sumMicros;

        public void Add(double seconds)
        {
            for (var b = 0; b < Buckets.Length; b++)
            {
                if (seconds <= Buckets[b])
                {
                    Interlocked.Increment(ref _counts[b]);
                }
            }
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
        }

        public void Render(StringBuilder text, string function)
        {
            for (var b = 0; b < Buckets.Length; b++)
            {
                text.Append(CultureInfo.InvariantCulture, $"mlf_request_duration_seconds_bucket{{function=\"{function}\",le=\"{Buckets[b]}\"}} {Interlocked.Read(ref _counts[b])}\n");
            }
            var count = Interlocked.Read(ref _count);
            text.Append(CultureInfo.InvariantCulture, $"mlf_request_duration_seconds_bucket{{function=\"{function}\",le=\"+Inf\"}} {count}\n");
            text.Append(CultureInfo.InvariantCulture, $"mlf_request_duration_seconds_sum{{function=\"{function}\"}} {Interlocked.Read(ref _sumMicros) / 1e6}\n");
            text.Append(CultureInfo.InvariantCulture, $"mlf_request_duration_seconds_count{{function=\"{function}\"}} {count}\n");
        }
    }
}
