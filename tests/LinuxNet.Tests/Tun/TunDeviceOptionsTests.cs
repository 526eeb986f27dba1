using LinuxNet.Tun;

namespace LinuxNet.Tests.Tun;

// Every case must fail in validation, before any system call: these tests run unprivileged, where opening
// /dev/net/tun would fail with a LinuxNetException instead.
public class TunDeviceOptionsTests
{
    [TestCase("")]
    [TestCase("sixteen-bytes-xx")]
    [TestCase("eth0/x")]
    [TestCase("tun 0")]
    [TestCase("tun\t0")]
    [TestCase("tun:0")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("tun%s")]
    [TestCase("tun%d%d")]
    [TestCase("tun%")]
    [TestCase("tünnel-äöü-x")] // 15 characters, more than 15 UTF-8 bytes
    public void Create_InvalidName_ThrowsArgumentException(string name)
    {
        Assert.That(() => TunDevice.Create(new TunDeviceOptions { Name = name }), Throws.ArgumentException);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(257)]
    public void Create_QueueCountOutOfRange_ThrowsArgumentException(int count)
    {
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { QueueCount = count }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("QueueCount"));
    }

    [Test]
    public void Create_OffloadsWithoutVirtioHeader_ThrowsArgumentException()
    {
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { Offloads = TunOffloads.Checksum | TunOffloads.Tso4 }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("Offloads"));
    }

    [Test]
    public void Create_SegmentationWithoutChecksum_ThrowsArgumentException()
    {
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { VirtioNetHeader = true, Offloads = TunOffloads.Tso4 }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("Offloads"));
    }

    [Test]
    public void Create_HeaderSizeWithoutVirtioHeader_ThrowsArgumentException()
    {
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { VirtioNetHeaderSize = 12 }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("VirtioNetHeaderSize"));
    }

    [TestCase(9)]
    [TestCase(0)]
    [TestCase(TunDeviceOptions.MaxVirtioNetHeaderSize + 1)]
    public void Create_HeaderSizeOutOfRange_ThrowsArgumentException(int size)
    {
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { VirtioNetHeader = true, VirtioNetHeaderSize = size }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("VirtioNetHeaderSize"));
    }

    [Test]
    public void Create_UnknownMode_ThrowsArgumentException()
    {
        Assert.That(() => TunDevice.Create(new TunDeviceOptions { Mode = (TunMode)7 }), Throws.ArgumentException);
    }

    [Test]
    public void Create_UnknownOffloadFlag_ThrowsArgumentException()
    {
        Assert.That(
            () => TunDevice.Create(new TunDeviceOptions { VirtioNetHeader = true, Offloads = TunOffloads.Checksum | (TunOffloads)0x1000 }),
            Throws.ArgumentException);
    }

    [Test]
    public void Create_NegativeOwnerGroupOrBuffer_ThrowsArgumentException()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => TunDevice.Create(new TunDeviceOptions { Owner = -1 }), Throws.ArgumentException);
            Assert.That(() => TunDevice.Create(new TunDeviceOptions { Group = -5 }), Throws.ArgumentException);
            Assert.That(() => TunDevice.Create(new TunDeviceOptions { SendBufferSize = 0 }), Throws.ArgumentException);
        });
    }

    [Test]
    public void Open_Pattern_ThrowsArgumentException()
    {
        Assert.That(() => TunDevice.Open(new TunDeviceOptions { Name = "tun%d" }), Throws.ArgumentException);
        Assert.That(() => TunDevice.Open(new TunDeviceOptions()), Throws.ArgumentException);
    }

    [Test]
    public void DeletePersistent_InvalidName_ThrowsArgumentException()
    {
        Assert.That(() => TunDevice.DeletePersistent("a/b"), Throws.ArgumentException);
        Assert.That(() => TunDevice.DeletePersistent("tun%d"), Throws.ArgumentException);
    }

    [TestCase("tun0")]
    [TestCase("fifteen-bytes-x")]
    [TestCase("vpn%d")]
    public void Validate_ValidName_DoesNotThrow(string name)
    {
        Assert.That(() => new TunDeviceOptions { Name = name }.Validate(), Throws.Nothing);
    }

    [Test]
    public void Validate_FullOffloadSet_DoesNotThrow()
    {
        var options = new TunDeviceOptions
        {
            VirtioNetHeader = true,
            VirtioNetHeaderSize = 12,
            Offloads = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 | TunOffloads.Uso4 | TunOffloads.Uso6,
            QueueCount = 256,
        };
        Assert.That(options.Validate, Throws.Nothing);
    }

    [Test]
    public void PipeOptions_ResumeAbovePause_ThrowsArgumentException()
    {
        Assert.That(() => new TunPipeOptions { PauseThreshold = 100, ResumeThreshold = 200 }.Validate(), Throws.ArgumentException);
        Assert.That(() => new TunPipeOptions { PauseThreshold = -1 }.Validate(), Throws.ArgumentException);
    }
}
