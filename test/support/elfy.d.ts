declare module 'elfy' {
  const elfy: { parse(data: Uint8Array): unknown };
  export default elfy;
}
