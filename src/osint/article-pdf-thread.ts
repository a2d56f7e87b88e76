// Reads one PDF's text on a worker thread (see article-pdf-run.ts): PDF.js over bytes from the
// open internet runs where a time limit and a heap cap can stop it.
import { parentPort, workerData } from 'node:worker_threads';
import { pdfTextOf } from './article-pdf.js';

const { bytes, where } = workerData as { bytes: Uint8Array; where: string };
const result = await pdfTextOf(bytes, where);
parentPort?.postMessage(result);
