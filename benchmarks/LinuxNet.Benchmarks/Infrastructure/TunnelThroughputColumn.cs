using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>Gbit/s = bytes per operation × 8 / mean time: the TCP goodput of the tunnel benchmarks (one transfer per operation).</summary>
/// <param name="bytesPerOperation">What one operation sends.</param>
/// <param name="id">The column id (unique within a summary).</param>
internal sealed class TunnelThroughputColumn(long bytesPerOperation, string id) : IColumn
{
    public string Id => id;

    public string ColumnName => "Gbit/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "TCP goodput through the tunnel";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanoseconds is > 0 ? (bytesPerOperation * 8 / nanoseconds.Value).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
