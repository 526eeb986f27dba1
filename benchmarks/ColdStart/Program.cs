using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using LinuxNet;
using LinuxNet.Route;

// linuxnet-coldstart: one whole process doing N operations through LinuxNet's public API in the current network
// namespace, as a user's short-lived program does (see docs/cold-start.md):
//   route-add N DEV | route-del N DEV              one RtnetlinkSession, DEV resolved once, rt.Routes.Add/Delete per route
//   route-add-batch N DEV | route-del-batch N DEV  the same routes through one RtnetlinkBatch
//   link-show                                      list the links and print them as JSON, like `ip -j link show`
// The routes are IPv6 /128s from 2001:db8:3::1 upward. Exit 0 on success, 1 with the message on stderr on failure,
// 255 on bad usage.
const string Usage = "usage: linuxnet-coldstart { route-add | route-del | route-add-batch | route-del-batch } N DEV | link-show";

try
{
    switch (args)
    {
        case ["link-show"]:
            return LinkShow();
        case [var verb, var countText, var device] when verb is "route-add" or "route-del" or "route-add-batch" or "route-del-batch":
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
            {
                Console.Error.WriteLine($"linuxnet-coldstart: bad count \"{countText}\"");
                return 255;
            }

            return Routes(verb, count, device);
        default:
            Console.Error.WriteLine(Usage);
            return 255;
    }
}
catch (LinuxNetException e)
{
    Console.Error.WriteLine($"linuxnet-coldstart: {e.Message}");
    return 1;
}

static int Routes(string verb, int count, string device)
{
    using RtnetlinkSession rt = RtnetlinkSession.Open();
    if (rt.Links.TryGet(device) is not { } link)
    {
        Console.Error.WriteLine($"linuxnet-coldstart: Cannot find device \"{device}\"");
        return 1;
    }

    LinkReference dev = link.Index;
    bool add = verb.StartsWith("route-add", StringComparison.Ordinal);
    if (!verb.EndsWith("-batch", StringComparison.Ordinal))
    {
        // One request and one acknowledgement per route, as `ip -batch` does. One spec, its destination changed per route.
        var spec = new RouteSpec(Destination(0)) { Link = dev };
        for (int i = 0; i < count; i++)
        {
            spec.Destination = Destination(i);
            if (add)
            {
                rt.Routes.Add(spec);
            }
            else
            {
                rt.Routes.Delete(spec);
            }
        }

        return 0;
    }

    using RtnetlinkBatch batch = rt.CreateBatch();
    var batched = new RouteSpec(Destination(0)) { Link = dev };
    for (int i = 0; i < count; i++)
    {
        batched.Destination = Destination(i); // the batch encodes the request when it is added
        if (add)
        {
            batch.AddRoute(batched);
        }
        else
        {
            batch.DeleteRoute(batched);
        }
    }

    RtnetlinkBatchResult result = batch.Execute();
    if (!result.AllSucceeded)
    {
        RtnetlinkBatchItemResult first = result.Failures.First();
        Console.Error.WriteLine($"linuxnet-coldstart: {result.FailedCount} of {count} failed; first, request {first.Index}: {first.Error?.Message ?? first.Status.ToString()}");
        return 1;
    }

    return 0;
}

// 2001:db8:3::1, 2001:db8:3::2, … (the route's number in the low 32 bits).
static IPPrefix Destination(int i)
{
    Span<byte> bytes = stackalloc byte[16];
    bytes.Clear();
    BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x20010db8);
    BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], 3);
    BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], (uint)i + 1);
    return new IPPrefix(new IPAddress(bytes), 128);
}

// What a user's `ip -j link show` look-alike does: one dump into LinkInfo objects, printed as a JSON array.
static int LinkShow()
{
    using RtnetlinkSession rt = RtnetlinkSession.Open();
    IReadOnlyList<LinkInfo> links = rt.Links.List();
    using Stream stdout = Console.OpenStandardOutput();
    using (var json = new Utf8JsonWriter(stdout))
    {
        json.WriteStartArray();
        foreach (LinkInfo l in links)
        {
            json.WriteStartObject();
            json.WriteNumber("ifindex"u8, l.Index);
            json.WriteString("ifname"u8, l.Name);
            json.WriteStartArray("flags"u8);
            foreach (LinkFlags flag in Enum.GetValues<LinkFlags>())
            {
                if (flag != 0 && (l.Flags & flag) == flag && BitOperationsIsPow2((uint)flag))
                {
                    json.WriteStringValue(flag == LinkFlags.LowerUp ? "LOWER_UP" : flag.ToString().ToUpperInvariant());
                }
            }

            json.WriteEndArray();
            json.WriteNumber("mtu"u8, l.Mtu);
            if (l.QueueingDiscipline is { } qdisc)
            {
                json.WriteString("qdisc"u8, qdisc);
            }

            json.WriteString("operstate"u8, l.OperationalState.ToString().ToUpperInvariant());
            json.WriteNumber("group"u8, l.Group);
            json.WriteNumber("txqlen"u8, l.TransmitQueueLength);
            if (l.Address is PhysicalAddress address)
            {
                json.WriteString("address"u8, string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture))));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    stdout.WriteByte((byte)'\n');
    return 0;

    static bool BitOperationsIsPow2(uint value) => System.Numerics.BitOperations.IsPow2(value);
}
