import { useEffect, useState } from 'react';
import { qrModules } from '../lib/offline-presentation';

/**
 * A QR code drawn as one SVG path (crisp at any size, on screen and on paper). No inline style:
 * the page's CSP allows none, and SVG presentation attributes are not styles.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [drawing, setDrawing] = useState<{ size: number; path: string }>();
  useEffect(() => {
    let current = true;
    void qrModules(text).then(({ size, dark }) => {
      let path = '';
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) if (dark(x, y)) path += `M${x + 4} ${y + 4}h1v1h-1z`;
      if (current) setDrawing({ size: size + 8, path });
    });
    return () => {
      current = false;
    };
  }, [text]);
  if (!drawing) return null;
  return (
    <svg
      className="qr wallet-qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${drawing.size} ${drawing.size}`}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      <rect width={drawing.size} height={drawing.size} fill="#ffffff" />
      <path d={drawing.path} fill="#000000" />
    </svg>
  );
}
