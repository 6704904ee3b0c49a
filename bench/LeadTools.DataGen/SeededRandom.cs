using System;
using System.Collections.Generic;

namespace LeadTools.DataGen
{
    /// <summary>
    /// SplitMix64: a small, fast generator whose output depends only on its seed, on every runtime and
    /// version (unlike <see cref="Random"/>, whose algorithm is an implementation detail). Every record is
    /// drawn from its own instance keyed by (seed, stream, position), so any record can be regenerated
    /// on its own without generating the ones before it: that is what lets the generator stream.
    /// </summary>
    public sealed class SeededRandom
    {
        private ulong _state;

        /// <summary>A generator for a raw 64-bit state.</summary>
        public SeededRandom(ulong state) => _state = state;

        /// <summary>The generator of one record: seed, a stream (what is being drawn) and a position.</summary>
        public static SeededRandom For(int seed, ulong stream, long position)
        {
            var s = Mix(unchecked((ulong)seed * 0xD1B54A32D192ED03UL) ^ Mix(stream + 0x632BE59BD9B4E019UL));
            return new SeededRandom(Mix(s ^ Mix(unchecked((ulong)position * 0x9E3779B97F4A7C15UL))));
        }

        /// <summary>The SplitMix64 finaliser: a good 64-bit hash.</summary>
        public static ulong Mix(ulong z)
        {
            unchecked
            {
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        /// <summary>The next 64 random bits.</summary>
        public ulong NextUInt64()
        {
            unchecked
            {
                _state += 0x9E3779B97F4A7C15UL;
                return Mix(_state);
            }
        }

        /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
        public int Next(int maxExclusive)
        {
            if (maxExclusive <= 1) return 0;
            return (int)((NextUInt64() >> 1) % (ulong)maxExclusive);
        }

        /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
        public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

        /// <summary>A long in [0, <paramref name="maxExclusive"/>).</summary>
        public long NextLong(long maxExclusive) => maxExclusive <= 1 ? 0 : (long)((NextUInt64() >> 1) % (ulong)maxExclusive);

        /// <summary>A double in [0, 1).</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>True with probability <paramref name="p"/>.</summary>
        public bool Chance(double p) => NextDouble() < p;

        /// <summary>One element, uniformly.</summary>
        public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

        /// <summary>An index drawn with the given weights.</summary>
        public int PickWeighted(IReadOnlyList<double> weights)
        {
            var total = 0.0;
            for (var i = 0; i < weights.Count; i++) total += weights[i];
            var x = NextDouble() * total;
            for (var i = 0; i < weights.Count; i++)
            {
                x -= weights[i];
                if (x < 0) return i;
            }
            return weights.Count - 1;
        }
    }
}
