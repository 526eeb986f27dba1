using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>
/// Speed relative to a peer row of the same category: peer median time / this row's median time (medians: with one invocation per iteration a single slow pass, e.g. a GC or the kernel's own work, moves the mean), so 2.00 reads "twice as
/// fast as the peer" (the opposite sense of BenchmarkDotNet's Ratio, which is a time ratio). The peer is the
/// category's baseline, or the row whose method name ends with <paramref name="methodSuffix"/>.
/// </summary>
/// <param name="methodSuffix">Suffix of the peer's method name, or <see langword="null"/> for the category's baseline.</param>
/// <param name="name">Column header.</param>
internal sealed class PeerSpeedColumn(string? methodSuffix, string name) : IColumn
{
    public string Id => "PeerSpeed-" + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => methodSuffix is null
        ? "Speed relative to the category's baseline (baseline median / this median; > 1 is faster)"
        : $"Speed relative to the category's *{methodSuffix} row (its median / this median; > 1 is faster)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        BenchmarkCase? peer = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Categories.SequenceEqual(benchmarkCase.Descriptor.Categories)
            && c.Job == benchmarkCase.Job
            && (methodSuffix is null ? c.Descriptor.Baseline : c.Descriptor.WorkloadMethod.Name.EndsWith(methodSuffix, StringComparison.Ordinal)));
        double? self = summary[benchmarkCase]?.ResultStatistics?.Median;
        double? other = peer is null ? null : summary[peer]?.ResultStatistics?.Median;
        return self is > 0 && other is > 0 ? (other.Value / self.Value).ToString("0.00", CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}

/// <summary>
/// Operations per second: the benchmark class's public static <c>OperationCount</c> (operations per invocation) /
/// median time. With a <c>DumpObjects</c> field instead, objects listed per second.
/// </summary>
internal sealed class OperationsPerSecondColumn : IColumn
{
    public string Id => "OperationsPerSecond";

    public string ColumnName => "op/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Operations (requests, namespaces or listed objects) per second: count per invocation / median";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        int count = OperationsOf(benchmarkCase);
        if (nanoseconds is not > 0 || count <= 0)
        {
            return "-";
        }

        double perSecond = count * 1e9 / nanoseconds.Value;
        return perSecond >= 1e6
            ? (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + "M"
            : (perSecond / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "k";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    /// <summary>Operations per invocation: a static <c>OperationCount</c> property, or a category-specific
    /// <c>OperationCountFor(string category)</c> method, on the benchmark's type.</summary>
    private static int OperationsOf(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        if (type.GetMethod("OperationCountFor", flags) is { } method)
        {
            return (int)method.Invoke(null, [string.Join(',', benchmarkCase.Descriptor.Categories)])!;
        }

        return type.GetProperty("OperationCount", flags)?.GetValue(null) is int count ? count : 0;
    }
}

/// <summary>The control-plane benchmarks' columns: categories, op/s, speed ×libmnl (the baseline) and speed ×ip.</summary>
internal sealed class ControlPlaneConfig : ManualConfig
{
    public ControlPlaneConfig()
    {
        AddColumn(CategoriesColumn.Default);
        AddColumn(new OperationsPerSecondColumn());
        AddColumn(new PeerSpeedColumn(null, "speed×libmnl"));
        AddColumn(new PeerSpeedColumn("_LibmnlBatch", "speed×mnl-batch"));
        AddColumn(new PeerSpeedColumn("_Ip", "speed×ip"));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
    }
}
