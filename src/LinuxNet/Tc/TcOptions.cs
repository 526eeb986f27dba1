namespace LinuxNet.Tc;

/// <summary>
/// The kind-specific options the kernel reports for a qdisc, class or filter (<c>TCA_OPTIONS</c>):
/// <see cref="TbfQdiscOptions"/>, <see cref="HtbQdiscOptions"/>, <see cref="FifoQdiscOptions"/>,
/// <see cref="HtbClassOptions"/>, <see cref="U32FilterOptions"/>, <see cref="BpfFilterOptions"/>.
/// </summary>
public abstract class TcOptions
{
    private protected TcOptions()
    {
    }
}
