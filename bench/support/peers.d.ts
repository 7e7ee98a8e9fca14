// Minimal type declarations for the peer packages measured in the benchmarks (they ship none).
declare module 'black-scholes' {
  const bs: {
    blackScholes(s: number, k: number, t: number, v: number, r: number, callPut: 'call' | 'put'): number;
  };
  export default bs;
}
declare module 'greeks' {
  const greeks: {
    getDelta(s: number, k: number, t: number, v: number, r: number, callPut: 'call' | 'put'): number;
    getGamma(s: number, k: number, t: number, v: number, r: number): number;
    getVega(s: number, k: number, t: number, v: number, r: number): number;
    getTheta(
      s: number,
      k: number,
      t: number,
      v: number,
      r: number,
      callPut: 'call' | 'put',
      scale?: number,
    ): number;
    getRho(
      s: number,
      k: number,
      t: number,
      v: number,
      r: number,
      callPut: 'call' | 'put',
      scale?: number,
    ): number;
  };
  export default greeks;
}
declare module 'implied-volatility' {
  const iv: {
    getImpliedVolatility(
      price: number,
      s: number,
      k: number,
      t: number,
      r: number,
      callPut: 'call' | 'put',
      estimate?: number,
    ): number;
  };
  export default iv;
}
