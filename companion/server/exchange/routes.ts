// The lab API's export and import (GET /lab/export, POST /lab/import).
import { Router } from 'express';
import type { Store } from '../../store/store';

export function exchangeRouter(_store: Store): Router {
  const router = Router();
  return router;
}
