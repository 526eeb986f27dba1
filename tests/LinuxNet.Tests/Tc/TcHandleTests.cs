using LinuxNet.Tc;

namespace LinuxNet.Tests.Tc;

[TestFixture]
public class TcHandleTests
{
    [TestCase("1:", 0x00010000u, "1:")]
    [TestCase("1:10", 0x00010010u, "1:10")]
    [TestCase("ffff:", 0xFFFF0000u, "ffff:")]
    [TestCase("root", 0xFFFFFFFFu, "root")]
    [TestCase("none", 0u, "none")]
    [TestCase("ingress", 0xFFFFFFF1u, "ffff:fff1")]
    [TestCase("clsact", 0xFFFFFFF1u, "ffff:fff1")]
    [TestCase(":10", 0x00000010u, ":10")]
    [TestCase("ffff:fff2", 0xFFFFFFF2u, "ffff:fff2")]
    [TestCase("10", 0x10u, ":10")]
    [TestCase("0x1:0x10", 0x00010010u, "1:10")]
    public void Parse_TcSyntax_ValueAndTcText(string text, uint value, string printed)
    {
        TcHandle handle = TcHandle.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(handle.Value, Is.EqualTo(value));
            Assert.That(handle.ToString(), Is.EqualTo(printed));
        });
    }

    [TestCase("1:2:3")]
    [TestCase("10000:")]
    [TestCase("1:10000")]
    [TestCase("")]
    [TestCase("x:1")]
    [TestCase("1:g")]
    [TestCase("egress")]
    public void TryParse_NotAHandle_False(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(TcHandle.TryParse(text, out _), Is.False);
            Assert.That(() => TcHandle.Parse(text), Throws.TypeOf<FormatException>());
        });
    }
}
