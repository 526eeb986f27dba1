namespace LinuxNet.Tc;

/// <summary>A delete, get or dump request: the message type and the <c>tcmsg</c> fields that select the object(s).</summary>
/// <param name="Type">RTM_DELQDISC, RTM_GETTFILTER…</param>
/// <param name="LinkIndex">The device; 0 for every device (a qdisc dump).</param>
/// <param name="Handle"><c>tcm_handle</c>.</param>
/// <param name="Parent"><c>tcm_parent</c>.</param>
/// <param name="Info"><c>tcm_info</c> (a filter's priority and protocol).</param>
/// <param name="Kind">The kind, sent as <c>TCA_KIND</c> when not <see langword="null"/>.</param>
internal readonly record struct TcObjectKey(ushort Type, int LinkIndex, uint Handle, uint Parent, uint Info = 0, string? Kind = null);
