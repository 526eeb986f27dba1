namespace LinuxNet.Route;

public sealed partial class LinkManager
{
    private RuleManager? _rules;

    /// <summary>The policy routing rules (<c>ip rule</c>), over this manager's socket.</summary>
    public RuleManager Rules => _rules ??= new RuleManager(this);
}
