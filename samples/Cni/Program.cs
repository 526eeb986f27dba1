using LinuxNet.Samples.Cni;

using Stream stdin = Console.OpenStandardInput();
return CniPlugin.Run(PluginEnvironment.FromProcess(), stdin, Console.Out, Console.Error);
