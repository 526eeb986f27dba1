using LinuxNet.Tc;

namespace LinuxNet.Tests.Tc;

[TestFixture]
public class TcUnitsTests
{
    [TestCase("10mbit", 1_250_000UL)]
    [TestCase("1Gbit", 125_000_000UL)]
    [TestCase("500kbit", 62_500UL)]
    [TestCase("8000", 1000UL)]
    [TestCase("1mbps", 1_000_000UL)]
    [TestCase("1kibit", 128UL)]
    public void ParseRate_TcSuffixes_BytesPerSecond(string text, ulong expected) => Assert.That(TcUnits.ParseRate(text), Is.EqualTo(expected));

    [TestCase("32kb", 32768u)]
    [TestCase("15k", 15360u)]
    [TestCase("1500", 1500u)]
    [TestCase("2mb", 2097152u)]
    [TestCase("10kbit", 1280u)]
    public void ParseSize_TcSuffixes_Bytes(string text, uint expected) => Assert.That(TcUnits.ParseSize(text), Is.EqualTo(expected));

    [TestCase("50ms", 50_000u)]
    [TestCase("1s", 1_000_000u)]
    [TestCase("200us", 200u)]
    public void ParseTime_TcSuffixes_Microseconds(string text, uint expected) => Assert.That(TcUnits.ParseTime(text), Is.EqualTo(expected));

    [TestCase(1_250_000UL, "10Mbit")]
    [TestCase(125_000UL, "1Mbit")]
    [TestCase(187_500UL, "1500Kbit")]
    [TestCase(12UL, "96bit")]
    public void FormatRate_AsTc(ulong rate, string expected) => Assert.That(TcUnits.FormatRate(rate), Is.EqualTo(expected));

    [TestCase(32766u, "32Kb")]
    [TestCase(10240u, "10Kb")]
    [TestCase(1500u, "1500b")]
    [TestCase(10000u, "10000b")]
    public void FormatSize_AsTc(uint size, string expected) => Assert.That(TcUnits.FormatSize(size), Is.EqualTo(expected));

    [TestCase(50_000u, "50ms")]
    [TestCase(50_001u, "50.001ms")]
    [TestCase(1_500_000u, "1.5s")]
    [TestCase(200u, "200us")]
    public void FormatTime_AsTc(uint time, string expected) => Assert.That(TcUnits.FormatTime(time), Is.EqualTo(expected));

    [TestCase("10mbits")]
    [TestCase("fast")]
    public void ParseRate_Garbage_Throws(string text) => Assert.That(() => TcUnits.ParseRate(text), Throws.TypeOf<FormatException>());
}
