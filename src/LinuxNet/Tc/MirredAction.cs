using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// Redirects or mirrors a packet to another device: <c>action mirred (egress|ingress) (redirect|mirror) dev DEV</c>.
/// The ifb ingress-shaping recipe is an ingress filter with <c>mirred egress redirect dev ifb0</c>.
/// </summary>
public sealed class MirredAction : TcAction
{
    /// <summary>Describes a mirred action.</summary>
    /// <param name="direction">Egress (transmit on the target) or ingress (receive on it).</param>
    /// <param name="mode">Redirect or mirror.</param>
    /// <param name="device">The target device.</param>
    public MirredAction(MirredDirection direction, MirredMode mode, LinkReference device)
    {
        Direction = direction;
        Mode = mode;
        Device = device;
    }

    /// <inheritdoc/>
    public override string Kind => "mirred";

    /// <summary>Egress or ingress.</summary>
    public MirredDirection Direction { get; }

    /// <summary>Redirect or mirror.</summary>
    public MirredMode Mode { get; }

    /// <summary>The target device (<c>dev</c>).</summary>
    public LinkReference Device { get; }

    internal override LinkReference? Target => Device;

    internal override void Validate()
    {
        if (Direction is not (MirredDirection.Egress or MirredDirection.Ingress))
        {
            throw new System.ArgumentException($"{Direction} is not a mirred direction.", nameof(Direction));
        }

        if (Mode is not (MirredMode.Redirect or MirredMode.Mirror))
        {
            throw new System.ArgumentException($"{Mode} is not a mirred mode.", nameof(Mode));
        }

        Device.Validate(nameof(Device));
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, int targetIndex)
    {
        bool redirect = Mode == MirredMode.Redirect;
        int eaction = Direction == MirredDirection.Egress
            ? redirect ? LinuxTcMirred.TCA_EGRESS_REDIR : LinuxTcMirred.TCA_EGRESS_MIRROR
            : redirect ? LinuxTcMirred.TCA_INGRESS_REDIR : LinuxTcMirred.TCA_INGRESS_MIRROR;
        writer.WriteStruct(LinuxTcMirred.TCA_MIRRED_PARMS, new TcMirred
        {
            Action = redirect ? LinuxPktCls.TC_ACT_STOLEN : LinuxPktCls.TC_ACT_PIPE,
            EAction = eaction,
            IfIndex = (uint)targetIndex,
        });
    }
}
