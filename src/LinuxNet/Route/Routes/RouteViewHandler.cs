using System;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>Receives one route of <see cref="RouteManager.Enumerate{TState}(TState, RouteViewHandler{TState}, AddressFamily, uint?, Action{TState}?)"/>.</summary>
/// <typeparam name="TState">The caller's state.</typeparam>
/// <param name="route">The route, valid only during the call.</param>
/// <param name="state">The state passed to Enumerate.</param>
public delegate void RouteViewHandler<in TState>(in RouteView route, TState state);
